import type { DownloadInfo } from "../../../engine/common/modelLibraryPort.js";
import { Button } from "../../ui/Button";
import { Callout } from "../../ui/Callout";
import { cx } from "../../ui/cx";
import { formatBytes } from "../../ui/format";
import { Icon } from "../../ui/Icon";
import { cancelDownload, pauseDownload, resumeDownload } from "./downloadActions";
import { downloadErrorTitle, formatEta, formatSpeed, fractionOf, integrityText, stateLabels } from "./downloadText";

/**
 * One download: a bar with bytes, speed and time left, pause/resume and cancel, how the
 * finished file was checked, and why it failed. `errorKey` files a failed call under the
 * catalog entry it belongs to.
 */
export function DownloadProgress({ download, errorKey, compact = false }: { download: DownloadInfo; errorKey: string; compact?: boolean }) {
  const { state } = download;
  const fraction = fractionOf(download);
  const running = state === "connecting" || state === "downloading" || state === "verifying";
  const canResume = state === "paused" || (state === "failed" && download.resumable);
  const canCancel = state !== "completed" && state !== "cancelled";
  const integrity = integrityText(download);
  return (
    <div data-testid="download-progress" data-state={state} data-received={download.received} className="flex flex-col gap-1.5">
      <div className="flex items-center gap-2 text-[11px]">
        <span className={cx("font-medium", state === "failed" ? "text-rose-300" : state === "completed" ? "text-emerald-300" : "text-zinc-200")}>{stateLabels[state]}</span>
        <span className="font-mono text-zinc-400 tabular-nums">
          {formatBytes(download.received)}
          {download.total !== null && <span className="text-zinc-500"> / {formatBytes(download.total)}</span>}
        </span>
        {state === "downloading" && (
          <span className="font-mono text-zinc-500 tabular-nums">
            {formatSpeed(download.bytesPerSecond)} · {formatEta(download.etaSeconds)} left
          </span>
        )}
        {download.retries > 0 && running && <span className="text-amber-300/80">reconnected ×{download.retries}</span>}
        <span className="ml-auto flex items-center gap-0.5">
          {running && state !== "verifying" && (
            <Button size="sm" variant="ghost" className="h-6 px-2" data-testid="download-pause" onClick={() => void pauseDownload(download.id, errorKey)}>
              Pause
            </Button>
          )}
          {canResume && (
            <Button size="sm" variant="ghost" className="h-6 px-2 text-violet-300" data-testid="download-resume" onClick={() => void resumeDownload(download.id, errorKey)}>
              {state === "failed" ? "Retry" : "Resume"}
            </Button>
          )}
          {canCancel && (
            <Button size="sm" variant="ghost" className="h-6 px-2" data-testid="download-cancel" onClick={() => void cancelDownload(download.id, errorKey)} title="Stop and delete the partial file">
              Cancel
            </Button>
          )}
        </span>
      </div>
      <div
        role="progressbar"
        aria-label={`${download.fileName}: ${stateLabels[state]}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={fraction === null ? undefined : Math.round(fraction * 100)}
        className={cx("relative overflow-hidden rounded-full bg-zinc-800", compact ? "h-1" : "h-1.5")}
      >
        <div
          className={cx(
            "absolute inset-y-0 left-0 rounded-full transition-[width] duration-300",
            state === "failed" ? "bg-rose-500/70" : state === "paused" || state === "cancelled" ? "bg-zinc-500" : state === "completed" ? "bg-emerald-400" : "bg-gradient-to-r from-violet-500 to-fuchsia-500",
            fraction === null && running && "w-1/3 animate-pulse",
          )}
          style={fraction === null ? undefined : { width: `${(fraction * 100).toFixed(1)}%` }}
        />
      </div>
      {integrity !== null && (
        <p data-testid="download-integrity" className={cx("flex items-center gap-1.5 text-[11px]", state === "verifying" ? "text-zinc-400" : "text-emerald-300/90")}>
          <Icon name={state === "verifying" ? "gauge" : "check"} className="size-3" />
          {integrity}
        </p>
      )}
      {state === "failed" && download.error !== null && (
        <Callout tone="error" title={downloadErrorTitle(download.error.code)} data-testid="download-error">
          {download.error.message}
        </Callout>
      )}
    </div>
  );
}
