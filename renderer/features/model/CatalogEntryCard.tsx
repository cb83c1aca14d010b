import type { CatalogListEntry } from "../../../engine/common/modelLibraryPort.js";
import { latestFor, useDownloads } from "../../state/downloadState";
import { useEngineState } from "../../state/engineState";
import { Badge } from "../../ui/Badge";
import { Button } from "../../ui/Button";
import { Callout } from "../../ui/Callout";
import { cx } from "../../ui/cx";
import { formatBytes, formatCount } from "../../ui/format";
import { Icon } from "../../ui/Icon";
import { loadModel } from "./modelActions";
import { startCatalogDownload } from "./downloadActions";
import { DownloadProgress } from "./DownloadProgress";
import { engageFirstRun } from "./firstRun";
import { useModelLibrary } from "./modelLibraryView";

export interface CatalogEntryCardProps {
  entry: CatalogListEntry;
  /** Load the model as soon as its download is complete (the first-run screen). */
  loadWhenDone?: boolean;
  /** Shown larger, with its description, as the first-run screen's suggestion. */
  featured?: boolean;
  downloadTestId?: string;
}

/** A recommended base model: its facts, and a one-click download that turns into its progress. */
export function CatalogEntryCard({ entry, loadWhenDone = false, featured = false, downloadTestId = "catalog-download-button" }: CatalogEntryCardProps) {
  const fromEvents = useDownloads((s) => latestFor(s.byId, entry.id));
  const callError = useModelLibrary((s) => s.downloadErrors.get(entry.id) ?? null);
  const download = fromEvents ?? entry.download;
  const active = download !== null && download.state !== "cancelled" && !(download.state === "completed" && entry.installedPath !== null);
  return (
    <li
      data-testid="catalog-entry"
      data-catalog-id={entry.id}
      className={cx(
        "flex flex-col gap-2 rounded-lg border px-3.5 py-3 transition-colors",
        featured ? "border-violet-500/40 bg-gradient-to-br from-violet-500/[0.09] to-fuchsia-500/[0.03]" : "border-zinc-800 bg-zinc-950/40",
      )}
    >
      <div className="flex items-start gap-3">
        <div className="flex min-w-0 flex-1 flex-wrap items-center gap-1.5 pt-0.5">
          <span className={cx("font-medium text-zinc-50", featured ? "text-[14px]" : "text-[13px]")}>{entry.name}</span>
          {entry.recommended && <Badge tone="accent">RECOMMENDED</Badge>}
          <Badge title="Size class">{entry.tier.toUpperCase()}</Badge>
        </div>
        <EntryAction entry={entry} busy={active} loadWhenDone={loadWhenDone} featured={featured} testId={downloadTestId} />
      </div>
      <div className="-mt-1 flex flex-wrap items-center gap-x-2 gap-y-0.5 font-mono text-[11px] text-zinc-400">
        <span title={`${entry.parameterCount.toLocaleString("en-US")} parameters`}>{formatCount(entry.parameterCount)} params</span>
        <Dot />
        <span>{entry.quantization}</span>
        <Dot />
        <span title={entry.sizeExact ? "Exact size" : "Approximate size, as the hub shows it"}>
          {entry.sizeExact ? "" : "≈"}
          {formatBytes(entry.sizeBytes)}
        </span>
        <Dot />
        <span>{formatCount(entry.contextLength)} ctx</span>
        <Dot />
        {entry.licenseUrl !== null ? (
          <a href={entry.licenseUrl} target="_blank" rel="noreferrer" className="hover:text-violet-200 hover:underline">
            {entry.license}
          </a>
        ) : (
          <span>{entry.license}</span>
        )}
        {featured && (
          <>
            <Dot />
            <span title="The pretrained checkpoint this file was converted from">{entry.baseModel}</span>
          </>
        )}
      </div>
      {featured && <p className="text-xs leading-relaxed text-zinc-400">{entry.description}</p>}
      {active && download !== null && <DownloadProgress download={download} errorKey={entry.id} />}
      {callError !== null && (
        <Callout tone="error" title="The download did not start" data-testid="download-error">
          {callError}
        </Callout>
      )}
    </li>
  );
}

interface EntryActionProps {
  entry: CatalogListEntry;
  busy: boolean;
  loadWhenDone: boolean;
  featured: boolean;
  testId: string;
}

function EntryAction({ entry, busy, loadWhenDone, featured, testId }: EntryActionProps) {
  const loadedPath = useEngineState((s) => s.loaded?.model.path ?? null);
  const loading = useEngineState((s) => s.loadingPath !== null);
  if (entry.installedPath !== null) {
    const installed = entry.installedPath;
    return loadedPath === installed ? (
      <Badge tone="good" className="mt-0.5">
        LOADED
      </Badge>
    ) : (
      <Button size="sm" variant="secondary" disabled={loading} onClick={() => void loadModel(installed)} title={installed}>
        <Icon name="check" className="size-3 text-emerald-300" />
        Load
      </Button>
    );
  }
  if (busy) return null;
  return (
    <Button
      size="sm"
      variant={featured ? "primary" : "secondary"}
      data-testid={testId}
      onClick={() => {
        // The first-run screen stays up through the download and the load that follows.
        if (loadWhenDone) engageFirstRun();
        void startCatalogDownload(entry.id, { load: loadWhenDone });
      }}
      title={`Download ${entry.fileName} from ${hostOf(entry.url)}`}
    >
      <Icon name="download" className="size-3.5" />
      Download
    </Button>
  );
}

function Dot() {
  return <span className="text-zinc-700">·</span>;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
