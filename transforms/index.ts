/**
 * The registry: every migration the tool performs, in the order it runs on a file. The CLI's
 * `--help`, the README table and a meta-test are derived from this list.
 */
import type { Transform } from "../src/transform/kit";
import { generateToChat } from "./generate-to-chat";

export const TRANSFORMS: readonly Transform[] = [generateToChat];
