module.exports = require("./temp-root").globalTeardown;
