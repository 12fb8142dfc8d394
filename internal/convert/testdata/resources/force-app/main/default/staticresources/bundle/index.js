import "./lib/a.js";
