import type { ReactNode } from "react";
import type { TreeNode } from "../../../engine/common/project/types.js";
import type { StopReason } from "../../../engine/common/protocol.js";
import { Badge } from "../../ui/Badge";
import { CopyText } from "../../ui/CopyText";
import { DefinitionList } from "../../ui/DefinitionList";
import { formatInteger, formatPercent, visibleToken } from "../../ui/format";
import { origins } from "./OriginBadge";
import { meanProbability } from "./tokenSpans";

const stopLabels: Record<StopReason, string> = {
  "max-tokens": "max tokens",
  "stop-sequence": "stop sequence",
  eos: "end of text",
  cancelled: "cancelled",
  "context-full": "context full",
};

/** Everything recorded about a node: where it came from and, if generated, how to reproduce it. */
export function NodeDetails({ node }: { node: TreeNode }) {
  const g = node.generation;
  const facts: Array<[ReactNode, ReactNode]> = [
    ["Origin", origins[node.origin].label],
    ["Created", new Date(node.createdAt).toLocaleString()],
    ["Characters", formatInteger(node.text.length)],
    ["Node id", <CopyText text={node.id} className="ml-auto" label="Copy node id" />],
  ];
  return (
    <div data-testid="node-details" className="flex w-80 flex-col gap-3 text-xs">
      <Section title="Node">
        <DefinitionList items={facts} />
      </Section>
      {g === null ? (
        <p className="text-zinc-500">{node.origin === "root" ? "The prompt the tree grows from." : "Written by a person: no generation record."}</p>
      ) : (
        <>
          <Section title="Generation">
            <DefinitionList
              items={[
                ["Model", <span title={g.record.modelFile}>{g.record.modelFile}</span>],
                ["SHA-256", <CopyText text={g.record.modelSha256} display={`${g.record.modelSha256.slice(0, 12)}…`} className="ml-auto" label="Copy model SHA-256" />],
                ["Seed", <CopyText text={String(g.record.seed)} className="ml-auto" label="Copy seed" />],
                ["Tokens", `${formatInteger(g.tokenIds.length)} of max ${formatInteger(g.record.maxTokens)}`],
                ["Mean p", meanProbability(node) === null ? "—" : formatPercent(meanProbability(node)!)],
                [
                  "Stop",
                  <span>
                    {stopLabels[g.stopReason]}
                    {g.stopSequence !== null && <span className="ml-1 text-zinc-400">{visibleToken(g.stopSequence)}</span>}
                  </span>,
                ],
                ["Probabilities", g.record.rawProbabilities ? <Badge tone="good">raw</Badge> : <Badge tone="warn">post-sampler</Badge>],
              ]}
            />
          </Section>
          <Section title="Sampler">
            <DefinitionList
              items={[
                ["Temperature", String(g.record.sampling.temperature)],
                ["Top-k / top-p", `${g.record.sampling.topK} / ${g.record.sampling.topP}`],
                ["Min-p", String(g.record.sampling.minP)],
                ["Repeat penalty", `${g.record.sampling.repeatPenalty} (last ${g.record.sampling.repeatLastTokens})`],
                ["Stop sequences", g.record.stop.length === 0 ? "none" : g.record.stop.map(visibleToken).join("  ")],
              ]}
            />
          </Section>
          <Section title="Timings">
            <DefinitionList
              items={[
                ["Prompt", `${formatInteger(g.record.promptTokens)} tok (${formatInteger(g.timings.promptTokensEvaluated)} evaluated)`],
                ["Prompt time", `${g.timings.promptMs.toFixed(1)} ms`],
                ["Generation", `${g.timings.generateMs.toFixed(1)} ms`],
                [
                  "Speed",
                  g.timings.generateMs > 0 ? `${((g.tokenIds.length / g.timings.generateMs) * 1000).toFixed(0)} tok/s` : "—",
                ],
                ["Engine", `${g.record.engineVersion} · node-llama-cpp ${g.record.nodeLlamaCppVersion}`],
              ]}
            />
          </Section>
        </>
      )}
    </div>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="flex flex-col gap-1.5">
      <h4 className="text-[10px] font-semibold tracking-[0.08em] text-zinc-500 uppercase">{title}</h4>
      {children}
    </section>
  );
}
