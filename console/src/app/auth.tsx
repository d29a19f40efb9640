/**
 * Who is signed in. Loads GET /v1/auth/me once; the CSRF token from it (or from sign-in) goes to
 * the API client. Any 401 from the API drops back to signed-out, which shows the sign-in page.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { z } from 'zod';
import type { Role, sessionBody } from '../../../core/api/auth';
import { api, ApiError, setCsrfToken, setUnauthorizedHandler } from '../api/client';

export type { Role };
/** What sign-in and `GET /v1/auth/me` answer. */
export type Session = z.infer<typeof sessionBody>;
export type SessionUser = Session['user'];
export type SessionTenant = Session['tenant'];

export interface AuthState {
  status: 'loading' | 'signedOut' | 'signedIn';
  user: SessionUser | null;
  tenant: SessionTenant | null;
  /** `workspace` (the tenant's slug) only when the email has accounts in several workspaces. */
  signIn(email: string, password: string, workspace?: string): Promise<void>;
  signOut(): Promise<void>;
}

const AuthContext = createContext<AuthState | null>(null);

/** What each role may do in the UI (the API enforces the same rules). */
export const can = {
  build: (role?: Role) => role === 'builder' || role === 'admin',
  handleInbox: (role?: Role) => role === 'agent' || role === 'admin',
  administer: (role?: Role) => role === 'admin',
  market: (role?: Role) => role === 'marketer' || role === 'approver' || role === 'admin',
  approveCampaigns: (role?: Role) => role === 'approver' || role === 'admin',
};

export function AuthProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(null);
  const [status, setStatus] = useState<AuthState['status']>('loading');

  const accept = useCallback((s: Session | null) => {
    setCsrfToken(s?.csrfToken ?? null);
    setSession(s);
    setStatus(s ? 'signedIn' : 'signedOut');
  }, []);

  useEffect(() => {
    setUnauthorizedHandler(() => accept(null));
    api
      .get<Session>('/v1/auth/me')
      .then(accept)
      .catch((err) => {
        if (!(err instanceof ApiError) || err.status !== 401) console.warn('could not load the session', err);
        accept(null);
      });
    return () => setUnauthorizedHandler(null);
  }, [accept]);

  const signIn = useCallback(
    async (email: string, password: string, workspace?: string) => accept(await api.post<Session>('/v1/auth/login', { email, password, ...(workspace ? { workspace } : {}) })),
    [accept],
  );
  const signOut = useCallback(async () => {
    try {
      await api.post('/v1/auth/logout');
    } finally {
      accept(null);
    }
  }, [accept]);

  const value = useMemo<AuthState>(
    () => ({ status, user: session?.user ?? null, tenant: session?.tenant ?? null, signIn, signOut }),
    [status, session, signIn, signOut],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error('useAuth must be used inside <AuthProvider>');
  return auth;
}
