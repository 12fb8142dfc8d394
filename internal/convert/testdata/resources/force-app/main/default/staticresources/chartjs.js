window.Chart = function () {};
