// A point of sale as a separate process:
//   node --import=tsx pos-writer-process.ts DATA_FOLDER SERVER DATABASE PREFIX COUNT
// connects to the channel database the Retail Server fields SERVER and DATABASE name (both
// empty: the SQLite file in DATA_FOLDER), writes COUNT sales (and changes every fifth one again)
// in its own transactions to the SALES table the test made,, a sale every few milliseconds as tills do, then exits. (Back to back
// without a pause, two writers can keep the client's transactions waiting for seconds: SQLite's
// busy handler polls for the lock.)
import { connectPosAt } from "./pos-connection.js";

const [dataFolder, serverName, databaseName, prefix, count] =
	process.argv.slice(2);
if (
	dataFolder === undefined ||
	serverName === undefined ||
	databaseName === undefined ||
	prefix === undefined ||
	count === undefined
)
	throw new Error(
		"usage: pos-writer-process.ts DATA_FOLDER SERVER DATABASE PREFIX COUNT",
	);
const pos = await connectPosAt(dataFolder, { serverName, databaseName });
const betweenSales = new Int32Array(new SharedArrayBuffer(4));
for (let index = 1; index <= Number(count); index += 1) {
	Atomics.wait(betweenSales, 0, 0, 3);
	await pos.writeSale(`${prefix}-${index}`, index);
	if (index % 5 === 0) await pos.writeSale(`${prefix}-${index - 4}`, -index);
}
await pos.close();
