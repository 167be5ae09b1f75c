// Where the README's images live for an extension page. In the repository they are relative paths
// (media/screenshots/...), which the repository page resolves. VS Code's extension page shows only https images
// (its sanitizer drops data: and relative sources, its CSP blocks http), so a VSIX's README points them at the
// repository's raw files: vsce --baseImagesUrl does it when packing, and absoluteReadmeImages() does the same for
// the staged extension of the e2e tier. FLOTILLA_BASE_IMAGES_URL overrides the base (a fork, a tag, a CDN).
import { readFileSync } from 'node:fs';
import { join, posix, resolve } from 'node:path';

const repoRoot = resolve(__dirname, '..');

/** e.g. https://github.com/flotilla/flotilla/raw/HEAD/ (from package.json `repository`). */
export function readmeImagesBaseUrl(): string {
  if (process.env.FLOTILLA_BASE_IMAGES_URL) return process.env.FLOTILLA_BASE_IMAGES_URL.replace(/\/?$/, '/');
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { repository?: string | { url?: string } };
  const url = typeof manifest.repository === 'string' ? manifest.repository : manifest.repository?.url;
  const github = url?.match(/github\.com[/:]([^/]+)\/([^/.]+)(\.git)?$/);
  if (!github) throw new Error('package.json `repository` is not a GitHub URL: set FLOTILLA_BASE_IMAGES_URL to where the README images are served');
  return `https://github.com/${github[1]}/${github[2]}/raw/HEAD/`;
}

const IMAGE = /(!\[[^\]]*\]\()([^)\s]+)(\))/g;

/** `markdown` with every relative image link made absolute against `base`, as vsce --baseImagesUrl does. */
export function absoluteReadmeImages(markdown: string, base: string): string {
  return markdown.replace(IMAGE, (whole, open: string, link: string, close: string) => {
    if (/^[a-z][\w+.-]*:/i.test(link) || link.startsWith('#')) return whole;
    return `${open}${base}${posix.normalize(link).replace(/^\.\//, '')}${close}`;
  });
}
