// The PostgreSQL half of the client exchange (client-exchange.test.ts runs it on SQLite).
import test from "ava";
import { buildCdxIfMissing } from "../helpers/cdx.js";
import { killLeftoverClients } from "../helpers/client-processes.js";
import { postgresEngine } from "../helpers/engines.js";
import { declareClientExchangeTests } from "./client-exchange.suite.js";

test.before(() => {
	buildCdxIfMissing();
});
test.after.always(killLeftoverClients);

declareClientExchangeTests([postgresEngine]);
