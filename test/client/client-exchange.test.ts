// The client exchange on SQLite; its PostgreSQL half starts as many clients
// again, so it runs in the slow suite (client-exchange-postgresql.slow.test.ts).
import test from "ava";
import { startsClientProcesses } from "../helpers/client-processes.js";
import { sqliteEngine } from "../helpers/engines.js";
import { declareClientExchangeTests } from "./client-exchange.suite.js";

startsClientProcesses(test);

declareClientExchangeTests([sqliteEngine]);
