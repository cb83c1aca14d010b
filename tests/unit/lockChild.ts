// Child process of the project-lock tests: opens (or creates) a project the way the app
// does, prints "LOCKED", performs a burst of operations printing "ACK <n>" once each is on
// disk, then either closes and exits ("exit") or waits to be killed ("hold").
import { ProjectSession } from "../../engine/common/project/session.js";
import { createProjectFile, openProjectFile } from "../../engine/node/projectFile.js";
import { newProjectState } from "../../engine/node/projectManager.js";
import { createHash } from "node:crypto";
import { childContext, deterministicContext, LOCK_CHILD_SEED, makeOpPicker, stateText } from "./crashOps.js";
import { existsSync } from "node:fs";

const [path, countText, mode] = process.argv.slice(2);
const ctx = deterministicContext();
const opened = existsSync(path!)
  ? await openProjectFile(path!)
  : { state: newProjectState("Lock test", "Once", ctx), storage: null };
const storage = opened.storage ?? (await createProjectFile(path!, opened.state));
// Deterministic ids and ops: the parent replays the same burst to know every state it may find.
const session = new ProjectSession(opened.state, path!, storage, childContext(), () => undefined, 10);
process.stdout.write("LOCKED\n");
const pick = makeOpPicker(LOCK_CHILD_SEED);
for (let i = 0; i < Number(countText); i++) {
  const op = pick(session.state, i);
  await session.perform(op.name, op.args as never);
  // The acknowledged state, so the parent can check that exactly this is on disk.
  process.stdout.write(`ACK ${i + 1} ${createHash("sha256").update(stateText(session.state)).digest("hex")}\n`);
}
if (mode === "exit") {
  await session.close();
  process.stdout.write("DONE\n");
} else {
  process.stdout.write("HOLDING\n");
  setInterval(() => undefined, 1000);
}
