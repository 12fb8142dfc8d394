describe("Greeter", function () {});
