import { describe, expect, it } from "vitest";
import { warningsAfterEvent } from "../../renderer/state/projectWarnings.js";

// A failed compaction arrives as a warning on a project.patch event; the notice must show it.

describe("project notices", () => {
  const compaction = "The change was saved, but compacting the project file failed: ENOSPC";

  it("show the repairs made on open, replacing the previous project's", () => {
    expect(warningsAfterEvent(["old project"], { type: "project.opened", warnings: ["Line 3 is damaged"] })).toEqual(["Line 3 is damaged"]);
  });

  it("add a warning that comes with a change, once however often it repeats", () => {
    const opened = warningsAfterEvent([], { type: "project.opened", warnings: ["Line 3 is damaged"] });
    const once = warningsAfterEvent(opened, { type: "project.patch", warning: compaction });
    expect(once).toEqual(["Line 3 is damaged", compaction]);
    expect(warningsAfterEvent(once, { type: "project.patch", warning: compaction })).toBe(once);
    expect(warningsAfterEvent(once, { type: "project.patch" })).toBe(once);
  });
});
