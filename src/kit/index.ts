// The kit: what connectors and pipelines are built from.
export { defineAction, defineConnector, isSecret, secret } from './define-connector.ts';
export type { ActionDefinition, ActionId, ConnectorCategory, ConnectorDefinition, ConnectorEnv } from './define-connector.ts';
export type { CountKind, RejectedRecord, RunContext } from './run-context.ts';
export { FOLDERS, normalizeDropPath } from './file-sources/file-source.ts';
export type { FileEntry, FileSource } from './file-sources/file-source.ts';
export { LocalDirectorySource } from './file-sources/local-directory.ts';
export { choicesFrom } from './vendor-choices.ts';
export type { ChoicesFromMeta, VendorChoice, VendorChoices } from './vendor-choices.ts';
