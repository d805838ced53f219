import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { MigrationLanguageServer } from './languageServer';

new MigrationLanguageServer(createConnection(ProposedFeatures.all)).listen();
