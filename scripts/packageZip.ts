// Reads a VSIX (a zip) with yauzl, the unzip library vsce itself depends on (resolved from vsce's folder, so it
// is the copy vsce uses whatever npm hoists): the entry names, and one entry's text.
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

interface ZipEntry {
  fileName: string;
}
interface ZipFile {
  eachEntry(): AsyncIterable<ZipEntry>;
  openReadStreamPromise(entry: ZipEntry): Promise<NodeJS.ReadableStream>;
  close(): void;
}
interface Yauzl {
  openPromise(path: string, options?: { autoClose?: boolean; strictFileNames?: boolean }): Promise<ZipFile>;
}

const vsceDir = join(resolve(__dirname, '..'), 'node_modules', '@vscode', 'vsce');
const yauzl = createRequire(join(vsceDir, 'package.json'))('yauzl') as Yauzl;

/** Every entry name in the zip, in archive order (`extension/dist/extension.js`, `extension.vsixmanifest` ...). */
export async function zipEntries(path: string): Promise<string[]> {
  const zip = await yauzl.openPromise(path);
  const names: string[] = [];
  for await (const entry of zip.eachEntry()) names.push(entry.fileName);
  return names;
}

/** One entry's content as UTF-8 text; throws naming the entry when the zip lacks it. */
export async function zipText(path: string, name: string): Promise<string> {
  const zip = await yauzl.openPromise(path, { autoClose: false });
  try {
    for await (const entry of zip.eachEntry()) {
      if (entry.fileName !== name) continue;
      const chunks: Buffer[] = [];
      for await (const chunk of await zip.openReadStreamPromise(entry)) chunks.push(Buffer.from(chunk as Buffer));
      return Buffer.concat(chunks).toString('utf8');
    }
  } finally {
    zip.close();
  }
  throw new Error(`${path} has no entry ${name}`);
}
