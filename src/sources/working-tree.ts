import type { ScanError, SourceDefinition } from '../types';
import { fileSource, type ListedFile } from './files';

/** Files under the given paths (default `.`), as git would list them unless `noIgnore`: `ms-leakscan [paths..]`. */
export const workingTreeSource: SourceDefinition = {
  name: 'working-tree',
  describe: 'files and folders on disk (the paths given, default the current folder)',
  create: ({ cwd, paths, noIgnore, isExcludedPath }) => ({
    async scan(scanner) {
      // A folder that cannot be listed is an error of the result; the listing goes on.
      const listingErrors: ScanError[] = [];
      const listed = await fileSource(paths?.length ? paths : ['.'], { cwd, noIgnore, onError: (error) => listingErrors.push(error) });
      const outcome = await scanner.files(isExcludedPath ? withoutExcluded(listed, isExcludedPath) : listed);
      for (const error of listingErrors) outcome.errors.push(error);
      return outcome;
    },
  }),
};

function* withoutExcluded(files: Iterable<ListedFile>, isExcluded: (path: string) => boolean): Generator<ListedFile> {
  for (const file of files) if (!isExcluded(file.path)) yield file;
}
