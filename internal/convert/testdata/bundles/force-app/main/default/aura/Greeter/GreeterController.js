({ init: function (cmp) {} })
