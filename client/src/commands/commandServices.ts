import { PreviewDocuments } from './previewDocuments';
import { ServerRequests } from './serverRequests';

/** What the command handlers share: the server's requests and the preview documents. */
export interface CommandServices {
  readonly requests: ServerRequests;
  readonly previews: PreviewDocuments;
}
