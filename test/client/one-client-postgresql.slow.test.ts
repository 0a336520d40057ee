// The PostgreSQL half of one-client's store tests (one-client.test.ts runs them on SQLite).
import test from "ava";
import { buildCdxIfMissing } from "../helpers/cdx.js";
import { killLeftoverClients } from "../helpers/client-processes.js";
import { postgresEngine } from "../helpers/engines.js";
import { declareOneClientStoreTests } from "./one-client-store.suite.js";

test.before(() => {
	buildCdxIfMissing();
});
test.after.always(killLeftoverClients);

declareOneClientStoreTests([postgresEngine]);
