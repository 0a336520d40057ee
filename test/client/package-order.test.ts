// Package order on SQLite; its PostgreSQL half starts as many clients again,
// so it runs in the slow suite (package-order-postgresql.slow.test.ts).
import test from "ava";
import { startsClientProcesses } from "../helpers/client-processes.js";
import { sqliteEngine } from "../helpers/engines.js";
import { declarePackageOrderTests } from "./package-order.suite.js";

startsClientProcesses(test);

declarePackageOrderTests([sqliteEngine]);
