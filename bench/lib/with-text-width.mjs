// node --import=tsx --import=./bench/lib/with-text-width.mjs: measure the sources as the bundle runs them.
import { register } from "node:module";

register("./text-width-hooks.mjs", import.meta.url);
