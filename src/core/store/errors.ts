// Errors the store throws on open, with messages that tell the user what to do.

/** Neither SQLite driver can load in this runtime. */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';

  constructor(
    message: string,
    readonly reasons: Readonly<Record<string, string>>,
  ) {
    super(message);
  }
}

/** The database file was written by a newer Flotilla (its schema version is past what this code knows). */
export class StoreVersionError extends Error {
  override readonly name = 'StoreVersionError';

  constructor(
    readonly path: string,
    readonly fileVersion: number,
    readonly knownVersion: number,
  ) {
    super(
      `The Flotilla database ${path} has schema version ${fileVersion}, but this Flotilla only knows up to ` +
        `version ${knownVersion}. It was written by a newer Flotilla: update the extension, or move the file ` +
        `away to start a new database (the file was not changed).`,
    );
  }
}
