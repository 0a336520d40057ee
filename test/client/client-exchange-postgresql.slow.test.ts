// The PostgreSQL half of the client exchange (client-exchange.test.ts runs it on SQLite).
import test from "ava";
import { startsClientProcesses } from "../helpers/client-processes.js";
import { postgresEngine } from "../helpers/engines.js";
import { declareClientExchangeTests } from "./client-exchange.suite.js";

startsClientProcesses(test);

declareClientExchangeTests([postgresEngine]);
