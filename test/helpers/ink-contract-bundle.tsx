// The entry of the contract's bundle (test/tui/ink-contract): checks the
// database named on the command line and prints the result as JSON.
import { checkInkContract } from "./ink-contract.js";

const path = process.argv[2];
if (path === undefined) throw new Error("usage: ink-contract-bundle DB_PATH");
process.stdout.write(`${JSON.stringify(await checkInkContract(path))}\n`);
process.exit(0);
