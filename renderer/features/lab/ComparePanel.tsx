import type { Experiment } from "../../../engine/common/project/types.js";
import { Callout } from "../../ui/Callout";
import { Select } from "../../ui/Select";
import { Spinner } from "../../ui/Spinner";
import { CompareChart } from "./charts/CompareChart";
import { fileStem } from "./charts/chartExport";
import { useComparison } from "./labResults";
import { useLabView } from "./labView";
import { useExperimentList } from "./useExperiments";

/** Two conditions side by side: the shown experiment against another (both can be changed). */
export function ComparePanel({ shown }: { shown: Experiment }) {
  const list = useExperimentList().filter((e) => e.rollouts.length > 0);
  const chosenA = useLabView((s) => s.compareA);
  const chosenB = useLabView((s) => s.compareB);
  const a = list.find((e) => e.id === chosenA) ?? (shown.rollouts.length > 0 ? shown : (list[0] ?? null));
  const b = list.find((e) => e.id === chosenB && e.id !== a?.id) ?? list.find((e) => e.id !== a?.id) ?? null;
  const entry = useComparison(a, b);

  if (a === null || b === null) {
    return (
      <section className="flex flex-col justify-center gap-2 rounded-lg border border-dashed border-zinc-800 px-5 py-6 text-xs leading-relaxed text-zinc-500">
        <h3 className="text-[12.5px] font-semibold text-zinc-300">Condition comparison</h3>
        <p>
          Run a second experiment under another condition (for example the same character with a stated rule, or the waluigi frame) to
          compare p(L→W) in a forest plot and test the difference rollout by rollout (pair by pair when both used the same seed).
        </p>
      </section>
    );
  }
  const picker = (value: string, set: (id: string) => void, label: string, testId: string, exclude: string) => (
    <Select aria-label={label} data-testid={testId} className="h-7 text-xs" style={{ width: "8.5rem" }} value={value} onChange={(e) => set(e.target.value)}>
      {list
        .filter((e) => e.id !== exclude)
        .map((e) => (
          <option key={e.id} value={e.id}>
            {e.name}
          </option>
        ))}
    </Select>
  );
  const pickers = (
    <div className="flex shrink-0 items-center gap-1 text-[11px] text-zinc-500">
      {picker(a.id, (id) => useLabView.set({ compareA: id }), "First condition", "compare-a-select", b.id)}
      vs
      {picker(b.id, (id) => useLabView.set({ compareB: id }), "Second condition", "compare-b-select", a.id)}
    </div>
  );
  if (entry?.error != null) return <Callout tone="error" title="Comparison failed">{entry.error.message}</Callout>;
  if (entry?.value == null) {
    return (
      <div className="flex items-center justify-center gap-2 rounded-lg border border-zinc-800 py-10 text-xs text-zinc-500">
        <Spinner /> Comparing…
      </div>
    );
  }
  return (
    <CompareChart
      comparison={entry.value}
      names={[a.name, b.name]}
      states={a.states}
      fileStem={`${fileStem(a.name)}-vs-${fileStem(b.name)}`}
      pickers={pickers}
    />
  );
}
