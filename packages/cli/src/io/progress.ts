import cliProgress from "cli-progress";
import type { Colours } from "../format/colour.js";
import { batchSummary, formatTargetChange, nodesDone, progressLine, targetChanges, type Deployment } from "../format/deployment.js";
import type { Output } from "./terminal.js";

/** Shows a deployment's progress as its states arrive. */
export interface ProgressDisplay {
  update(d: Deployment): void;
  /** Ends the display (the bar stays on screen as it last was). */
  stop(): void;
}

/**
 * On a terminal: a live bar (cli-progress) with each node's outcome printed above it. Elsewhere
 * (a pipe, a CI log): one line per node outcome and a text bar each time another node is done,
 * so the log reads top to bottom.
 */
export function progressDisplay(out: Output, c: Colours): ProgressDisplay {
  return out.isTTY ? new TerminalProgress(out, c) : new LineProgress(out, c);
}

class LineProgress implements ProgressDisplay {
  private last: Deployment | undefined;
  private lastLine = "";

  constructor(
    private readonly out: Output,
    private readonly c: Colours,
  ) {}

  update(d: Deployment): void {
    for (const change of targetChanges(this.last, d)) {
      // "applying" is shown by the bar; the outcome of each node gets its own line.
      if (change.target.status === "applying" || change.target.status === "pending") continue;
      for (const line of formatTargetChange(change, this.c)) this.out.write(`${line}\n`);
    }
    this.last = d;
    const line = progressLine(d);
    if (line !== this.lastLine && (d.targets?.length ?? 0) > 0) this.out.write(`${line}\n`);
    this.lastLine = line;
  }

  stop(): void {}
}

class TerminalProgress implements ProgressDisplay {
  private last: Deployment | undefined;
  private readonly multi: cliProgress.MultiBar;
  private bar: cliProgress.SingleBar | undefined;

  constructor(
    out: Output,
    private readonly c: Colours,
  ) {
    this.multi = new cliProgress.MultiBar(
      {
        stream: out as unknown as NodeJS.WritableStream,
        format: "{bar} {value}/{total} nodes  {batches}",
        barsize: 30,
        hideCursor: true,
        clearOnComplete: false,
        autopadding: true,
        fps: 10,
      },
      cliProgress.Presets.shades_classic,
    );
  }

  update(d: Deployment): void {
    for (const change of targetChanges(this.last, d)) {
      if (change.target.status === "applying" || change.target.status === "pending") continue;
      this.multi.log(formatTargetChange(change, this.c).join("\n") + "\n");
    }
    this.last = d;
    const { done, total } = nodesDone(d);
    if (!this.bar) this.bar = this.multi.create(total, done, { batches: batchSummary(d) });
    else {
      this.bar.setTotal(total);
      this.bar.update(done, { batches: batchSummary(d) });
    }
  }

  stop(): void {
    this.multi.update();
    this.multi.stop();
  }
}
