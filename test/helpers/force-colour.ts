import chalk from "chalk";

/*
 * For tests that check colours: Ink colours through chalk, which found at
 * load that a test's output is not a terminal and switched colours off.
 * The same chalk, switched to the 16 basic colours.
 */
chalk.level = 1;
