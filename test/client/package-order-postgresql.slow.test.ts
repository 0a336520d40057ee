// The PostgreSQL half of package order (package-order.test.ts runs it on SQLite).
import test from "ava";
import { buildCdxIfMissing } from "../helpers/cdx.js";
import { killLeftoverClients } from "../helpers/client-processes.js";
import { postgresEngine } from "../helpers/engines.js";
import { declarePackageOrderTests } from "./package-order.suite.js";

test.before(() => {
	buildCdxIfMissing();
});
test.after.always(killLeftoverClients);

declarePackageOrderTests([postgresEngine]);
