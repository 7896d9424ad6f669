import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';

export type UploadPathVerdict = { ok: true; path: string } | { ok: false; reason: string };

/**
 * Resolves the file an upload_file step names. A relative path is looked up in each upload root; an absolute one
 * must lie inside a root once symlinks are resolved, so a link cannot smuggle out /etc/passwd.
 */
export async function resolveUploadPath(roots: readonly string[], filePath: string): Promise<UploadPathVerdict> {
  if (roots.length === 0) {
    return { ok: false, reason: 'Uploads are not enabled for this session (it was started with use_file_storage: false, or no upload folder is configured).' };
  }
  const realRoots = (await Promise.all(roots.map((root) => realpath(root).catch(() => undefined)))).filter(
    (root): root is string => root !== undefined,
  );
  const candidates = isAbsolute(filePath) ? [filePath] : realRoots.map((root) => join(root, filePath));
  for (const candidate of candidates) {
    const real = await realpath(candidate).catch(() => undefined);
    if (real === undefined) continue;
    if (!realRoots.some((root) => inside(root, real))) {
      return { ok: false, reason: `${filePath} is outside the folders uploads may come from (${roots.join(', ')}). Use a file inside one of them.` };
    }
    const info = await stat(real).catch(() => undefined);
    if (info?.isFile() !== true) return { ok: false, reason: `${filePath} is not a file.` };
    return { ok: true, path: real };
  }
  if (isAbsolute(filePath) && !roots.some((root) => inside(root, filePath))) {
    return { ok: false, reason: `${filePath} is outside the folders uploads may come from (${roots.join(', ')}). Use a file inside one of them.` };
  }
  return { ok: false, reason: `File ${filePath} not found in the upload folders (${roots.join(', ')}).` };
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}
