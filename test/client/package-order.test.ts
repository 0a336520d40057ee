// Package order on SQLite; its PostgreSQL half starts as many clients again,
// so it runs in the slow suite (package-order-postgresql.slow.test.ts).
import test from "ava";
import { buildCdxIfMissing } from "../helpers/cdx.js";
import { killLeftoverClients } from "../helpers/client-processes.js";
import { sqliteEngine } from "../helpers/engines.js";
import { declarePackageOrderTests } from "./package-order.suite.js";

test.before(() => {
	buildCdxIfMissing();
});
test.after.always(killLeftoverClients);

declarePackageOrderTests([sqliteEngine]);
