// The PostgreSQL half of package order (package-order.test.ts runs it on SQLite).
import test from "ava";
import { startsClientProcesses } from "../helpers/client-processes.js";
import { postgresEngine } from "../helpers/engines.js";
import { declarePackageOrderTests } from "./package-order.suite.js";

startsClientProcesses(test);

declarePackageOrderTests([postgresEngine]);
