/**
 * Draws Vega-Lite specifications to SVG with Vega's headless renderer, and
 * SVG to PNG with resvg. Text in the PNG needs a font: system fonts are used
 * (DejaVu where installed); without any, the PNG is still written, its text
 * missing, with one warning — figures never fail a report.
 */
import { errorLine } from '../core/errors.js';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';

/** The font family figures ask for (DejaVu Serif is close to the paper's Times and is in Debian's fonts-dejavu-core). */
export const FIGURE_FONT = 'DejaVu Serif, Times New Roman, serif';

const FONT_DIRS = ['/usr/share/fonts', '/usr/local/share/fonts', '/System/Library/Fonts', '/Library/Fonts', 'C:\\Windows\\Fonts'];

/** Compile and render a Vega-Lite specification to an SVG string. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const [vega, vl] = await Promise.all([import('vega'), import('vega-lite')]);
  const compiled = vl.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Render SVG to PNG at `scale`; null (with the reason) when resvg cannot load here. */
export async function svgToPng(svg: string, scale = 2): Promise<{ png: Buffer | null; warning?: string }> {
  let Resvg: typeof import('@resvg/resvg-js').Resvg;
  try {
    ({ Resvg } = await import('@resvg/resvg-js'));
  } catch (err) {
    return { png: null, warning: `PNG figures skipped: @resvg/resvg-js cannot load here (${errorLine(err)}); the SVG files are complete` };
  }
  const fonts = hasFonts();
  const resvg = new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: scale },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Serif', serifFamily: 'DejaVu Serif', sansSerifFamily: 'DejaVu Sans' },
  });
  const png = resvg.render().asPng();
  return fonts ? { png } : { png, warning: 'no system fonts found: PNG figures have no text (install fonts-dejavu-core); the SVG files are complete' };
}

/** Whether any TrueType/OpenType font file is installed where resvg looks. */
export function hasFonts(): boolean {
  const found = (dir: string, depth: number): boolean => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return false;
    }
    for (const e of entries) {
      if (e.isFile() && /\.(ttf|otf|ttc)$/i.test(e.name)) return true;
      if ((e.isDirectory() || e.isSymbolicLink()) && depth > 0 && found(join(dir, e.name), depth - 1)) return true;
    }
    return false;
  };
  return FONT_DIRS.some((d) => existsSync(d) && found(d, 4));
}

