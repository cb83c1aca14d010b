import type { RuntimeCounters, RuntimePort } from "../../common/api/ports.js";
import type { CompleteArgs, GeneratedToken, LoadedModel, LoadModelArgs, ScoreArgs } from "../../common/protocol.js";
import type { RemoteConnectArgs } from "../../common/remoteEngine.js";
import type { LlamaRuntime } from "../llamaRuntime.js";
import type { RemoteRuntime } from "./remoteRuntime.js";

/**
 * The runtime the handlers see: the embedded engine or a remote server pool, whichever was
 * chosen last. Loading a GGUF switches to the embedded engine; connecting to endpoints
 * switches to the remote one and frees the embedded model. Everything above the port
 * (trees, scenes, persona, the lab, exports) is the same code on both.
 */
export class RuntimeSwitch implements RuntimePort {
  private active: RuntimePort;

  constructor(
    readonly embedded: LlamaRuntime,
    readonly remote: RemoteRuntime,
  ) {
    this.active = embedded;
  }

  get current(): LoadedModel | null {
    return this.active.current;
  }
  get counters(): RuntimeCounters {
    return this.active.counters;
  }
  get parallel(): number {
    return this.active.parallel;
  }

  async load(args: LoadModelArgs): Promise<LoadedModel> {
    const loaded = await this.embedded.load(args);
    await this.remote.unload();
    this.active = this.embedded;
    return loaded;
  }

  async connectRemote(args: RemoteConnectArgs): Promise<LoadedModel> {
    const loaded = await this.remote.connect(args);
    await this.embedded.unload();
    this.active = this.remote;
    return loaded;
  }

  async unload(): Promise<void> {
    await this.active.unload();
  }

  complete(args: CompleteArgs, signal: AbortSignal, sink: (tokens: GeneratedToken[], text: string) => void) {
    return this.active.complete(args, signal, sink);
  }
  score(args: ScoreArgs) {
    return this.active.score(args);
  }
  generateMany(items: Parameters<RuntimePort["generateMany"]>[0], signal: AbortSignal, sink: Parameters<RuntimePort["generateMany"]>[2]) {
    return this.active.generateMany(items, signal, sink);
  }
  scoreMany(items: Parameters<RuntimePort["scoreMany"]>[0]) {
    return this.active.scoreMany(items);
  }
  branch(args: Parameters<RuntimePort["branch"]>[0], signal: AbortSignal, sink: Parameters<RuntimePort["branch"]>[2]) {
    return this.active.branch(args, signal, sink);
  }
  nextTokenAlternatives(prompt: string, forced: readonly number[], k: number) {
    return this.active.nextTokenAlternatives(prompt, forced, k);
  }
  tokenize(text: string): number[] {
    return this.active.tokenize(text);
  }
  tokenTexts(tokens: readonly number[]): string[] {
    return this.active.tokenTexts(tokens);
  }
  detokenize(tokens: readonly number[]): string {
    return this.active.detokenize(tokens);
  }
}
