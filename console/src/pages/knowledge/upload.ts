/**
 * File upload with progress: `fetch` cannot report upload progress, so this one request goes
 * through XMLHttpRequest with the same cookie, CSRF header and error mapping as the API client.
 */
import { ApiError, getCsrfToken } from '../../api/client';
import type { DocumentAccepted } from './types';

export function uploadDocument(knowledgeBaseId: string, file: File, name: string | undefined, onProgress: (fraction: number) => void): Promise<DocumentAccepted> {
  const form = new FormData();
  // Fields before the file: the server reads the name while the file streams.
  if (name) form.append('name', name);
  form.append('file', file, file.name);
  return uploadForm<DocumentAccepted>(`/v1/knowledge-bases/${knowledgeBaseId}/documents`, form, onProgress);
}

/** POSTs a multipart form, reporting upload progress; resolves with the JSON answer. */
export function uploadForm<T>(path: string, form: FormData, onProgress: (fraction: number) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json');
    const csrf = getCsrfToken();
    if (csrf) xhr.setRequestHeader('x-csrf-token', csrf);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onerror = () => reject(new ApiError(0, 'network_error', 'Could not reach the server'));
    xhr.onload = () => {
      let body: any = null;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        body = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve(body as T);
      } else {
        const error = body?.error ?? {};
        reject(new ApiError(xhr.status, error.code ?? `http_${xhr.status}`, error.message ?? `HTTP ${xhr.status}`, error.field || 'file'));
      }
    };
    xhr.send(form);
  });
}
