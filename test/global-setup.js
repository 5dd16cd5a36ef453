module.exports = require("./temp-root").globalSetup;
