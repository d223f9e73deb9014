// One structured line per request (docs/operations.md, Logs): its id (the
// x-request-id header), workspace, operation name, HTTP status, duration and
// the SQL statements it cost. The statements are counted through an
// AsyncLocalStorage around the request: the store tells of each statement in
// the async context of the query that sent it. With no sink given, none of
// this is installed.
import { AsyncLocalStorage } from 'node:async_hooks';
import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Store } from '../db/store.js';
import { requestIdOf } from './request-id.js';

export interface RequestLogLine {
  requestId: string;
  method: string;
  path: string;
  status: number;
  durationMs: number;
  /** null: no key, or the admin token. */
  workspaceId: string | null;
  admin: boolean;
  operation: string | null;
  operationType: string | null;
  sqlStatements: number;
  /** With a read replica configured, where a query's reads were sent: 'replica' or 'primary' (read-routing.ts). */
  reads?: 'replica' | 'primary';
}

export type RequestLogSink = (line: RequestLogLine) => void;

interface Trace {
  startedAt: number;
  statements: number;
  workspaceId: string | null;
  admin: boolean;
  operation: string | null;
  operationType: string | null;
}

type Viewer = { kind: 'admin' } | { kind: 'workspace'; workspace: { id: string } };

export function useRequestLog(store: Store, sink: RequestLogSink, readsOf: (request: Request) => 'replica' | 'primary' | undefined = () => undefined): Plugin<{ viewer?: Viewer }> {
  // One per gateway: two gateways on one store count their own requests.
  const traces = new AsyncLocalStorage<Trace>();
  store.onQuery(() => {
    const trace = traces.getStore();
    if (trace !== undefined) trace.statements++;
  });
  return {
    instrumentation: {
      request: (_payload, wrapped) =>
        traces.run(
          { startedAt: performance.now(), statements: 0, workspaceId: null, admin: false, operation: null, operationType: null },
          wrapped,
        ),
    },
    onContextBuilding() {
      return ({ context }) => {
        const trace = traces.getStore();
        const viewer = context.viewer;
        if (trace === undefined || viewer === undefined) return;
        trace.admin = viewer.kind === 'admin';
        trace.workspaceId = viewer.kind === 'workspace' ? viewer.workspace.id : null;
      };
    },
    onExecute({ args }) {
      const trace = traces.getStore();
      if (trace === undefined) return;
      const operation = getOperationAST(args.document, args.operationName ?? undefined);
      trace.operation = operation?.name?.value ?? args.operationName ?? null;
      trace.operationType = operation?.operation ?? null;
    },
    onResponse({ request, response }) {
      const trace = traces.getStore();
      if (trace === undefined) return;
      const reads = readsOf(request);
      sink({
        requestId: requestIdOf(request),
        method: request.method,
        path: new URL(request.url).pathname,
        status: response.status,
        durationMs: Math.round((performance.now() - trace.startedAt) * 10) / 10,
        workspaceId: trace.workspaceId,
        admin: trace.admin,
        operation: trace.operation,
        operationType: trace.operationType,
        sqlStatements: trace.statements,
        ...(reads === undefined ? {} : { reads }),
      });
    },
  };
}
