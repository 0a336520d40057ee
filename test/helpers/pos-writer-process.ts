// A point of sale as a separate process: `node --import=tsx pos-writer-process.ts DATA_FOLDER PREFIX COUNT`
// writes COUNT sales (and changes every fifth one again) in its own transactions, a sale every few
// milliseconds as tills do, then exits. (Back to back without a pause, two writers can keep the
// client's transactions waiting for seconds: SQLite's busy handler polls for the lock.)
import { openPos, salesTable, writeSale } from "./pos.js";

const [dataFolder, prefix, count] = process.argv.slice(2);
if (dataFolder === undefined || prefix === undefined || count === undefined)
	throw new Error("usage: pos-writer-process.ts DATA_FOLDER PREFIX COUNT");
const pos = openPos(dataFolder);
pos.exec(salesTable);
const betweenSales = new Int32Array(new SharedArrayBuffer(4));
for (let index = 1; index <= Number(count); index += 1) {
	Atomics.wait(betweenSales, 0, 0, 3);
	writeSale(pos, `${prefix}-${index}`, index);
	if (index % 5 === 0) writeSale(pos, `${prefix}-${index - 4}`, -index);
}
pos.close();
