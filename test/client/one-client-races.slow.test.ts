import test from "ava";
import { startsClientProcesses } from "../helpers/client-processes.js";
import { declareLockRaceTests } from "./lock-races.suite.js";

// The lock races of one-client.test.ts, run over and over.
startsClientProcesses(test);
declareLockRaceTests({ clientRounds: 5, lockRounds: 100 });
