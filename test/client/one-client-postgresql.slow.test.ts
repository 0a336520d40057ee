// The PostgreSQL half of one-client's store tests (one-client.test.ts runs them on SQLite).
import test from "ava";
import { startsClientProcesses } from "../helpers/client-processes.js";
import { postgresEngine } from "../helpers/engines.js";
import { declareOneClientStoreTests } from "./one-client-store.suite.js";

startsClientProcesses(test);

declareOneClientStoreTests([postgresEngine]);
