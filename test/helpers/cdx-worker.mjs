// The thread test/helpers/in-process-cdx.ts runs `cdx` in: TypeScript through
// tsx's API, since a worker does not get the --import hooks of its process.
import { tsImport } from "tsx/esm/api";

await tsImport("./cdx-worker-loop.ts", import.meta.url);
