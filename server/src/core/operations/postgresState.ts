import { StateForwards } from './stateArguments';

/**
 * state_forwards of django/contrib/postgres/operations.py: extensions, collations and
 * constraint validation leave the state alone; the concurrent and NOT VALID variants change it
 * as their parents (AddIndex, RemoveIndex, AddConstraint) do.
 */
export function postgresStateForwards(parents: Readonly<Record<string, StateForwards>>): Readonly<Record<string, StateForwards>> {
  const none: StateForwards = () => undefined;
  return {
    CreateExtension: none,
    BloomExtension: none,
    BtreeGinExtension: none,
    BtreeGistExtension: none,
    CITextExtension: none,
    CryptoExtension: none,
    HStoreExtension: none,
    TrigramExtension: none,
    UnaccentExtension: none,
    CreateCollation: none,
    RemoveCollation: none,
    ValidateConstraint: none,
    AddIndexConcurrently: parents.AddIndex,
    RemoveIndexConcurrently: parents.RemoveIndex,
    AddConstraintNotValid: parents.AddConstraint,
  };
}
