describe("x", () => {});
