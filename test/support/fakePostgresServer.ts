import * as net from 'node:net';

/** What one client sent before the fake server turned it away. */
export interface RecordedConnection {
  /** The startup message's parameters (user, database, ...). */
  readonly parameters: Record<string, string>;
  /** The password the client sent when asked for it in clear text, if it got that far. */
  password?: string;
}

/**
 * A PostgreSQL server on loopback that asks every client for a cleartext password, records what
 * it receives, and refuses the login: it shows which credentials a client would hand to a host.
 */
export class FakePostgresServer {
  private constructor(
    private readonly server: net.Server,
    readonly port: number,
    /** Every client that connected, in order. */
    readonly connections: readonly RecordedConnection[],
  ) {}

  static async start(): Promise<FakePostgresServer> {
    const connections: RecordedConnection[] = [];
    const server = net.createServer((socket) => serve(socket, connections));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new FakePostgresServer(server, (server.address() as net.AddressInfo).port, connections);
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function serve(socket: net.Socket, connections: RecordedConnection[]): void {
  let buffer = Buffer.alloc(0);
  let connection: RecordedConnection | undefined;
  socket.on('error', () => undefined);
  socket.on('data', (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    if (!connection) {
      // Startup message: length, protocol version, then name/value pairs ending in an empty name.
      if (buffer.length < 4 || buffer.length < buffer.readInt32BE(0)) return;
      const length = buffer.readInt32BE(0);
      const code = buffer.readInt32BE(4);
      if (code === 80877103) {
        // SSLRequest: no TLS here.
        buffer = buffer.subarray(length);
        socket.write('N');
        return;
      }
      const fields = buffer
        .subarray(8, length - 1)
        .toString('utf8')
        .split('\0');
      const parameters: Record<string, string> = {};
      for (let index = 0; index + 1 < fields.length; index += 2) parameters[fields[index]] = fields[index + 1];
      connection = { parameters };
      connections.push(connection);
      buffer = buffer.subarray(length);
      // AuthenticationCleartextPassword.
      const ask = Buffer.alloc(9);
      ask.write('R', 0);
      ask.writeInt32BE(8, 1);
      ask.writeInt32BE(3, 5);
      socket.write(ask);
      return;
    }
    if (buffer.length < 5 || buffer.length < 1 + buffer.readInt32BE(1)) return;
    if (buffer.toString('utf8', 0, 1) === 'p') {
      connection.password = buffer.toString('utf8', 5, buffer.readInt32BE(1)).replace(/\0$/, '');
    }
    const fields = ['SFATAL', 'C28P01', 'Mpassword authentication failed'].map((field) => `${field}\0`).join('') + '\0';
    const error = Buffer.alloc(5 + Buffer.byteLength(fields));
    error.write('E', 0);
    error.writeInt32BE(4 + Buffer.byteLength(fields), 1);
    error.write(fields, 5);
    socket.end(error);
  });
}
