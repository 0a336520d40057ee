// node --import=tsx --import=./bench/lib/with-ink-swaps.mjs: measure the sources as the bundle runs them.
import { register } from "node:module";

register("./ink-swap-hooks.mjs", import.meta.url);
