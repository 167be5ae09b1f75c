// Agent names for Rename and Restart, vscode-free: a valid, free name ("pusher" restarted is "pusher-2", then
// "pusher-3"; "pusher-2" restarted is "pusher-3").

/** Why a new name is refused, or undefined when it is fine (same rules as New Agent: 1–128 characters, unique). */
export function validateRename(value: string, current: string, isTaken: (name: string) => boolean): string | undefined {
  const name = value.trim();
  if (!name) return 'Enter a name';
  if (name.length > 128) return 'At most 128 characters';
  if (name !== current && isTaken(name)) return `An agent named '${name}' exists already`;
  return undefined;
}

/** The next free "<base>-<n>" after the agent's own number (n >= 2). */
export function restartName(name: string, isTaken: (name: string) => boolean): string {
  const m = /^(.*)-(\d+)$/.exec(name);
  const base = m ? m[1]! : name;
  for (let n = m ? Number(m[2]) + 1 : 2; ; n++) if (!isTaken(`${base}-${n}`)) return `${base}-${n}`;
}
