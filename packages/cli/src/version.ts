/** hactl's version, shown by `hactl --version`. */
export const CLI_VERSION = "0.1.0";
