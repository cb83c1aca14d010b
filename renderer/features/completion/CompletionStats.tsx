import type { ReactNode } from "react";
import type { CompletionResult, StopReason } from "../../../engine/common/protocol.js";
import { useEngineState } from "../../state/engineState";
import { Badge } from "../../ui/Badge";
import { CopyText } from "../../ui/CopyText";
import { formatInteger, visibleToken } from "../../ui/format";
import { useCompletionSettings } from "./completionSettings";

const stopLabels: Record<StopReason, { label: string; tone: "neutral" | "good" | "warn" | "bad" }> = {
  "max-tokens": { label: "max tokens", tone: "neutral" },
  "stop-sequence": { label: "stop sequence", tone: "good" },
  eos: { label: "end of text", tone: "good" },
  cancelled: { label: "cancelled", tone: "warn" },
  "context-full": { label: "context full", tone: "bad" },
};

/** The footer under the output: live progress while generating, the record once done. */
export function CompletionStats() {
  const job = useEngineState((s) => s.job);
  if (job === null) return null;
  if (job.status === "running") {
    return (
      <Footer>
        <span className="text-violet-200">{job.cancelling ? "Cancelling…" : "Generating…"}</span>
        <Stat label="tokens">{formatInteger(job.tokenCount)}</Stat>
      </Footer>
    );
  }
  if (job.result === null) return null;
  return <ResultStats result={job.result} />;
}

function ResultStats({ result }: { result: CompletionResult }) {
  const { timings, record } = result;
  const tokensPerSecond = timings.generateMs > 0 ? (timings.generatedTokens / timings.generateMs) * 1000 : null;
  const stop = stopLabels[result.stopReason];
  const cached = timings.promptTokens - timings.promptTokensEvaluated;
  return (
    <Footer testId="completion-stats">
      <Stat label="stop">
        <Badge tone={stop.tone} title={result.stopSequence !== null ? `Stopped at ${JSON.stringify(result.stopSequence)}` : undefined}>
          {stop.label}
          {result.stopSequence !== null && <span className="ml-1 font-mono font-normal">{visibleToken(result.stopSequence)}</span>}
        </Badge>
      </Stat>
      <Stat label="tokens" testId="stat-tokens">
        {formatInteger(timings.generatedTokens)}
      </Stat>
      <Stat label="tok/s" testId="stat-speed">
        {tokensPerSecond === null ? "—" : tokensPerSecond >= 100 ? tokensPerSecond.toFixed(0) : tokensPerSecond.toFixed(1)}
      </Stat>
      <Stat label="prompt">
        <span title={`${timings.promptTokensEvaluated} evaluated, ${cached} reused from the KV cache; ${timings.promptMs.toFixed(0)} ms`}>
          {formatInteger(timings.promptTokens)}
          {cached > 0 && <span className="text-zinc-500"> ({formatInteger(cached)} cached)</span>}
        </span>
      </Stat>
      <Stat label="seed" testId="stat-seed">
        <CopyText text={String(record.seed)} label="Copy seed" />
        <button
          type="button"
          className="ml-1 rounded px-1 text-[10px] text-violet-300 hover:bg-violet-500/15"
          title="Put this seed in the seed field to replay the generation"
          onClick={() => useCompletionSettings.set({ seed: String(record.seed) })}
        >
          reuse
        </button>
      </Stat>
      <Stat label="probabilities" testId="stat-raw">
        {record.rawProbabilities ? <Badge tone="good">raw</Badge> : <Badge tone="warn">post-sampler</Badge>}
      </Stat>
    </Footer>
  );
}

function Footer({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <div data-testid={testId} className="flex min-h-10 shrink-0 flex-wrap items-center gap-x-4 gap-y-1 border-t border-zinc-800 bg-zinc-900/80 px-4 py-1.5 text-xs">
      {children}
    </div>
  );
}

function Stat({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <span className="flex items-center gap-1.5" data-testid={testId}>
      <span className="text-zinc-500">{label}</span>
      <span className="flex items-center font-mono text-zinc-100 tabular-nums">{children}</span>
    </span>
  );
}
