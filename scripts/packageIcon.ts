// Draws the extension icon (media/icon.svg, rendered to the 128x128 media/icon.png the Marketplace and the
// Extensions view show): a flotilla of three sailboats in formation, the lead boat highlighted, on a night sea.
// Run: npx tsx scripts/packageIcon.ts (needs rsvg-convert: apt-get install -y librsvg2-bin).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const media = resolve(__dirname, '..', 'media');

/** One boat: hull, mast, mainsail and jib; `x`,`y` is the bottom centre of the hull, `s` its scale. */
function boat(x: number, y: number, s: number, sail: string, hull: string): string {
  const p = (dx: number, dy: number) => `${(x + dx * s).toFixed(1)},${(y + dy * s).toFixed(1)}`;
  return [
    `<path d="M${p(-13, -6)} L${p(13, -6)} L${p(9, 0)} L${p(-9, 0)} Z" fill="${hull}"/>`,
    `<path d="M${p(0, -8)} L${p(0, -38)}" stroke="${hull}" stroke-width="${(1.6 * s).toFixed(1)}" stroke-linecap="round"/>`,
    `<path d="M${p(2, -37)} L${p(14, -9)} L${p(2, -9)} Z" fill="${sail}"/>`,
    `<path d="M${p(-2, -31)} L${p(-2, -9)} L${p(-11, -9)} Z" fill="${sail}" opacity="0.85"/>`,
  ].join('');
}

function iconSvg(): string {
  const wave = (y: number, opacity: number) =>
    `<path d="M16 ${y} q8 -5 16 0 t16 0 t16 0 t16 0 t16 0 t16 0" fill="none" stroke="#7fd3ff" stroke-width="3" stroke-linecap="round" opacity="${opacity}"/>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="128" height="128" viewBox="0 0 128 128">
  <defs>
    <linearGradient id="sea" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#15325c"/>
      <stop offset="1" stop-color="#0a1a33"/>
    </linearGradient>
  </defs>
  <rect x="4" y="4" width="120" height="120" rx="24" fill="url(#sea)"/>
  ${boat(34, 74, 0.8, '#b9c7dd', '#8aa0c2')}
  ${boat(94, 74, 0.8, '#b9c7dd', '#8aa0c2')}
  ${boat(64, 90, 1.15, '#ffb547', '#ffffff')}
  ${wave(100, 0.9)}
  ${wave(112, 0.5)}
</svg>
`;
}

const svgPath = join(media, 'icon.svg');
const pngPath = join(media, 'icon.png');
writeFileSync(svgPath, iconSvg());
execFileSync('rsvg-convert', ['--width', '128', '--height', '128', '--output', pngPath, svgPath]);
console.log(`wrote ${svgPath} and ${pngPath}`);
