import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createModelLibraryHandlers } from "../../engine/common/api/modelLibraryHandlers.js";
import type { EngineEvent } from "../../engine/common/protocol.js";
import { readModelDetails } from "../../engine/node/modelDetails.js";
import { sha256File } from "../../engine/node/modelFile.js";
import { ModelLibraryService } from "../../engine/node/modelLibraryService.js";
import { SettingsStore } from "../../engine/node/settingsStore.js";
import { testModel, testModelsDir } from "../testModels.js";
import { RangeServer } from "./rangeServer.js";

describe("GGUF details without loading weights", () => {
  it.each([
    ["stories", { architecture: "llama", vocabType: "spm", vocabSize: 512, fileType: "F32" }],
    ["llama2", { architecture: "llama", vocabType: "spm", vocabSize: 32000 }],
    ["gpt2", { architecture: "gpt2", vocabType: "bpe" }],
  ] as const)("reads %s", async (name, expected) => {
    const path = testModel(name);
    const t0 = performance.now();
    const details = await readModelDetails(path);
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(details).toMatchObject({ path, fileName: path.split("/").pop(), ...expected, sha256: null });
    expect(details.fileSize).toBeGreaterThan(100_000);
    expect(details.parameterCount).toBeGreaterThan(0);
    expect(details.trainContextSize).toBeGreaterThan(0);
    expect(details.vocabSize).toBeGreaterThan(0);
    expect(details.layers).toBeGreaterThan(0);
    expect(typeof details.fileType).toBe("string");
    expect(details.tuning).not.toBe("instruct");
  });

  it("hashes on demand", async () => {
    const path = testModel("stories");
    const details = await readModelDetails(path, { sha256: true });
    expect(details.sha256).toBe(await sha256File(path));
    expect(details.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("fails with a typed error for a file that is not a model", async () => {
    const dir = mkdtempSync(join(tmpdir(), "masque-details-"));
    writeFileSync(join(dir, "notes.gguf"), "hello, not a model");
    await expect(readModelDetails(join(dir, "notes.gguf"))).rejects.toMatchObject({ code: "not-gguf" });
    await expect(readModelDetails(join(dir, "absent.gguf"))).rejects.toMatchObject({ code: "model-not-found" });
  });
});

describe("model library handlers (catalog served from 127.0.0.1)", () => {
  const root = mkdtempSync(join(tmpdir(), "masque-library-"));
  const appModels = join(root, "app-models");
  const downloads = join(root, "downloads");
  const events: EngineEvent[] = [];
  let server: RangeServer;
  let library: ModelLibraryService;
  let handlers: ReturnType<typeof createModelLibraryHandlers>;

  beforeAll(async () => {
    mkdirSync(appModels);
    server = new RangeServer(testModel("stories"));
    await server.start();
    const catalogPath = join(root, "catalog.json");
    writeFileSync(
      catalogPath,
      JSON.stringify({
        version: 1,
        models: [
          {
            id: "stories-260k",
            name: "TinyStories 260K",
            family: "llama2.c",
            description: "A test model served from 127.0.0.1.",
            baseModel: "karpathy/tinyllamas",
            tuning: "base",
            parameterCount: 260_000,
            quantization: "F32",
            uri: server.url,
            sizeBytes: server.body.length,
            sizeExact: true,
            sha256: await sha256File(testModel("stories")),
            contextLength: 512,
            license: "mit",
            licenseUrl: null,
            tier: "tiny",
            recommended: true,
            note: "Test entry.",
          },
        ],
      }),
    );
    library = new ModelLibraryService({
      appModelFolders: [appModels],
      downloadsFolder: downloads,
      catalogPath,
      settings: new SettingsStore(join(root, "settings.json")),
      tunables: { progressIntervalMs: 20 },
    });
    handlers = createModelLibraryHandlers(library, (event) => events.push(event));
  });
  afterAll(async () => {
    await library.dispose();
    await server.stop();
  });

  it("lists the catalog, downloads an entry with progress events, and shows it installed", async () => {
    const [entry] = await handlers.catalogList({});
    expect(entry).toMatchObject({ id: "stories-260k", fileName: server.fileName, url: server.url, installedPath: null, download: null });

    const { downloadId } = await handlers.downloadStart({ catalogId: "stories-260k" });
    const done = await library.downloadManager.settled(downloadId);
    expect(done).toMatchObject({ state: "completed", verified: "sha256", catalogId: "stories-260k" });
    const progress = events.filter((e) => e.type === "download.progress");
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toMatchObject({ type: "download.progress", download: { id: downloadId, state: "completed" } });

    const [after] = await handlers.catalogList({});
    expect(after?.installedPath).toBe(join(downloads, server.fileName));
    expect(after?.download?.state).toBe("completed");
    await expect(handlers.downloadStart({ catalogId: "stories-260k" })).rejects.toThrow(/already in your library/);
    await expect(handlers.downloadStart({ catalogId: "nope" })).rejects.toThrow(/No catalog entry/);
  });

  it("scans the app folder, the downloads folder, user folders and recent models, with details", async () => {
    let scan = await handlers.libraryScan({});
    expect(scan.folders.map((f) => f.kind)).toEqual(["app", "downloads"]);
    const downloaded = scan.models.find((m) => m.fileName === server.fileName);
    expect(downloaded).toMatchObject({ sources: ["downloads"], catalogId: "stories-260k", error: null });
    expect(downloaded?.details?.vocabSize).toBe(512);

    const view = await handlers.libraryAddFolder({ path: testModelsDir });
    expect(view.settings.modelFolders).toEqual([testModelsDir]);
    scan = await handlers.libraryScan({});
    expect(scan.folders.at(-1)).toMatchObject({ path: testModelsDir, kind: "user", exists: true, removable: true });
    for (const name of ["stories", "llama2", "gpt2"] as const) {
      const model = scan.models.find((m) => m.path === testModel(name));
      expect(model?.sources).toEqual(["user"]);
      expect(model?.details?.parameterCount).toBeGreaterThan(0);
    }

    // A loaded model becomes a recent one (createEngine forwards engine events to observe()).
    const details = await handlers.modelDetails({ path: testModel("llama2"), sha256: true });
    library.observe({
      type: "model.changed",
      loaded: {
        model: { ...details, sha256: details.sha256!, trainContextSize: details.trainContextSize, addsBos: true, name: details.name },
        backend: { backend: "cpu", gpuRequested: "off", gpuLayers: 0, threads: 1, cores: 1, contextSize: 256, precision: "exact", parallel: 1 },
      },
    });
    await expect.poll(async () => (await handlers.settingsGet({})).settings.recentModels[0]?.path).toBe(testModel("llama2"));
    scan = await handlers.libraryScan({});
    const recent = scan.models.find((m) => m.path === testModel("llama2"));
    expect(recent?.sources).toEqual(["recent", "user"]);
    expect(recent?.lastUsed).not.toBeNull();

    await handlers.libraryRemoveFolder({ path: testModelsDir });
    scan = await handlers.libraryScan({});
    expect(scan.models.filter((m) => m.sources.includes("user"))).toEqual([]);
    await expect(handlers.libraryAddFolder({ path: join(root, "absent") })).rejects.toThrow(/not a folder/);
    await expect(handlers.libraryAddFolder({ path: "relative/models" })).rejects.toThrow(/absolute/);
  });

  it("gets, updates and resets settings", async () => {
    const view = await handlers.settingsUpdate({ partial: { backend: { gpu: "off", threads: 2 } } });
    expect(view.settings.backend).toMatchObject({ gpu: "off", threads: 2, gpuLayers: "auto" });
    expect(view.resolved.threadsForTinyModels).toBe(1);
    expect(view.resolved.downloadsFolder).toBe(downloads);
    const reset = await handlers.settingsReset({});
    expect(reset.settings.backend).toMatchObject({ gpu: "auto", threads: "auto" });
    expect(reset.settings.modelFolders).toEqual([]);
  });

  it("validates arguments at the boundary", () => {
    expect(handlers.downloadStart.schema.safeParse({}).success).toBe(false);
    expect(handlers.downloadStart.schema.safeParse({ catalogId: "a", url: "http://x" }).success).toBe(false);
    expect(handlers.downloadPause.schema.safeParse({ downloadId: "../x" }).success).toBe(false);
    expect(handlers.settingsUpdate.schema.safeParse({ partial: { backend: { gpu: "maybe" } } }).success).toBe(false);
    expect(handlers.settingsUpdate.schema.safeParse({ partial: { modelFolders: ["relative"] } }).success).toBe(false);
  });
});
