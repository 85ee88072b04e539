/*
 * FemHost's stand-ins for the Abaqus run-time a UMAT may call, and the call trampoline of the Umat plug-in.
 * Compiled once per compiler into the UMAT cache (libfemhost_abaqus-<hash>.so) and loaded with RTLD_GLOBAL
 * before any UMAT library, so a UMAT's references to XIT, STDB_ABQERR, GETOUTDIR, GETJOBNAME and to
 * gfortran's STOP / ERROR STOP entry points resolve here:
 *   - femhost_umat_call (and femhost_sdvini_call for SUBROUTINE SDVINI) calls the UMAT under setjmp; XIT,
 *     STDB_ABQERR with LOP = -3, STOP and ERROR STOP jump back to it (longjmp over Fortran frames only), so they
 *     end the material-point call, never the host process;
 *   - STDB_ABQERR messages (%I, %R, %S substituted as Abaqus does) are handed back to the plug-in.
 * Everything is per thread (__thread), so thread-safe UMATs may be called concurrently.
 */
#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Outcomes of femhost_umat_call (kept in step with UmatLibrary.cs). */
enum {
  FEMHOST_RETURNED = 0,        /* UMAT returned */
  FEMHOST_RETURNED_NOTE = 1,   /* returned; STDB_ABQERR wrote an information (LOP 1) or warning (LOP -1) */
  FEMHOST_RETURNED_ERROR = 2,  /* returned; STDB_ABQERR reported an error (LOP -2) */
  FEMHOST_XIT = 3,             /* UMAT called XIT */
  FEMHOST_STOP = 4,            /* UMAT executed STOP */
  FEMHOST_ERROR_STOP = 5,      /* UMAT executed ERROR STOP */
  FEMHOST_ABORT = 6,           /* STDB_ABQERR with LOP = -3 */
};

typedef void (*sdvini_fn)(void *, void *, void *, void *, void *, void *, void *, void *);
typedef void (*umat_fn)(void *, void *, void *, void *, void *, void *, void *, void *, void *, void *,
                        void *, void *, void *, void *, void *, void *, void *, void *, void *, void *,
                        void *, void *, void *, void *, void *, void *, void *, void *, void *, void *,
                        void *, void *, void *, void *, void *, void *, void *, size_t);

static __thread jmp_buf *femhost_jump;
static __thread char *femhost_message;
static __thread size_t femhost_capacity;
static __thread int femhost_outcome;

static void femhost_say(const char *text, size_t length) {
  if (femhost_message == NULL || femhost_capacity == 0) return;
  if (length >= femhost_capacity) length = femhost_capacity - 1;
  memcpy(femhost_message, text, length);
  femhost_message[length] = '\0';
}

static void femhost_leave(int outcome) {
  if (femhost_jump != NULL) longjmp(*femhost_jump, outcome);
  /* Outside a call of the plug-in (a UMAT's own thread, say): behave as Abaqus and gfortran would, and stop. */
  fprintf(stderr, "femhost: %s outside a material-point call; stopping\n", femhost_message != NULL ? femhost_message : "a UMAT stopped");
  exit(2);
}

/*
 * Calls UMAT with the 37 Abaqus arguments (by reference, in Abaqus order) plus CMNAME's hidden length.
 * Returns one of the outcomes above; message receives STOP codes and STDB_ABQERR texts.
 */
int femhost_umat_call(umat_fn umat, void **a, size_t cmname_length, char *message, size_t capacity) {
  jmp_buf here;
  femhost_message = message;
  femhost_capacity = capacity;
  femhost_outcome = FEMHOST_RETURNED;
  if (capacity > 0) message[0] = '\0';
  int jumped = setjmp(here);
  if (jumped != 0) {
    femhost_jump = NULL;
    return jumped;
  }
  femhost_jump = &here;
  umat(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12], a[13], a[14], a[15],
       a[16], a[17], a[18], a[19], a[20], a[21], a[22], a[23], a[24], a[25], a[26], a[27], a[28], a[29], a[30],
       a[31], a[32], a[33], a[34], a[35], a[36], cmname_length);
  femhost_jump = NULL;
  return femhost_outcome;
}

/* Calls SUBROUTINE SDVINI(STATEV, COORDS, NSTATV, NCRDS, NOEL, NPT, LAYER, KSPT) the same way. */
int femhost_sdvini_call(sdvini_fn sdvini, void **a, char *message, size_t capacity) {
  jmp_buf here;
  femhost_message = message;
  femhost_capacity = capacity;
  femhost_outcome = FEMHOST_RETURNED;
  if (capacity > 0) message[0] = '\0';
  int jumped = setjmp(here);
  if (jumped != 0) {
    femhost_jump = NULL;
    return jumped;
  }
  femhost_jump = &here;
  sdvini(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]);
  femhost_jump = NULL;
  return femhost_outcome;
}

/* SUBROUTINE XIT: Abaqus terminates the analysis; here the material-point call ends as failed. */
void xit_(void) {
  femhost_say("the UMAT called XIT", 19);
  femhost_leave(FEMHOST_XIT);
}

/* SUBROUTINE STDB_ABQERR(LOP, STRING, INTV, REALV, CHARV): a message with %I, %R, %S replaced in turn. */
void stdb_abqerr_(const int *lop, const char *string, const int *intv, const double *realv, const char *charv,
                  size_t string_length, size_t charv_length) {
  char text[1024];
  size_t n = 0, i = 0, ni = 0, nr = 0, ns = 0;
  size_t length = string_length;
  while (length > 0 && string[length - 1] == ' ') length--;
  while (i < length && n + 32 < sizeof text) {
    if (string[i] == '%' && i + 1 < length && (string[i + 1] == 'I' || string[i + 1] == 'R' || string[i + 1] == 'S')) {
      char kind = string[i + 1];
      if (kind == 'I') n += (size_t)snprintf(text + n, sizeof text - n, "%d", intv[ni++]);
      else if (kind == 'R') n += (size_t)snprintf(text + n, sizeof text - n, "%.6g", realv[nr++]);
      else {
        size_t w = charv_length;
        const char *s = charv + (ns++) * charv_length;
        while (w > 0 && s[w - 1] == ' ') w--;
        if (n + w >= sizeof text) w = sizeof text - n - 1;
        memcpy(text + n, s, w);
        n += w;
      }
      i += 2;
    } else {
      text[n++] = string[i++];
    }
  }
  if (n >= sizeof text) n = sizeof text - 1;
  text[n] = '\0';
  int level = *lop;
  if (level == -3) {
    femhost_say(text, n);
    femhost_leave(FEMHOST_ABORT);
    return;
  }
  if (level == -2) {
    if (femhost_outcome != FEMHOST_RETURNED_ERROR) femhost_say(text, n);
    femhost_outcome = FEMHOST_RETURNED_ERROR;
    return;
  }
  if (femhost_outcome == FEMHOST_RETURNED) {
    femhost_say(text, n);
    femhost_outcome = FEMHOST_RETURNED_NOTE;
  }
}

static void femhost_blank_fill(char *target, size_t length, const char *text) {
  size_t n = strlen(text);
  if (n > length) n = length;
  memcpy(target, text, n);
  memset(target + n, ' ', length - n);
}

/* SUBROUTINE GETOUTDIR(OUTDIR, LENOUTDIR): the working directory of the femhost process. */
void getoutdir_(char *outdir, int *lenoutdir, size_t outdir_length) {
  char cwd[4096];
  if (getcwd(cwd, sizeof cwd) == NULL) strcpy(cwd, ".");
  femhost_blank_fill(outdir, outdir_length, cwd);
  size_t n = strlen(cwd);
  *lenoutdir = (int)(n < outdir_length ? n : outdir_length);
}

/* SUBROUTINE GETJOBNAME(JOBNAME, LENJOBNAME): "femhost". */
void getjobname_(char *jobname, int *lenjobname, size_t jobname_length) {
  femhost_blank_fill(jobname, jobname_length, "femhost");
  *lenjobname = (int)(jobname_length < 7 ? jobname_length : 7);
}

/* gfortran's STOP and ERROR STOP (libgfortran 5, gfortran >= 8), interposed: they would exit the process. */
static void femhost_stop(int outcome, const char *string, size_t length, int code, bool numeric) {
  char text[256];
  int n;
  const char *what = outcome == FEMHOST_STOP ? "STOP" : "ERROR STOP";
  if (numeric) n = snprintf(text, sizeof text, "the UMAT executed %s %d", what, code);
  else if (string != NULL && length > 0) n = snprintf(text, sizeof text, "the UMAT executed %s '%.*s'", what, (int)(length > 200 ? 200 : length), string);
  else n = snprintf(text, sizeof text, "the UMAT executed %s", what);
  femhost_say(text, n < 0 ? 0 : (size_t)n);
  femhost_leave(outcome);
}

void _gfortran_stop_string(const char *string, size_t length, bool quiet) {
  (void)quiet;
  femhost_stop(FEMHOST_STOP, string, length, 0, false);
}

void _gfortran_stop_numeric(int code, bool quiet) {
  (void)quiet;
  femhost_stop(FEMHOST_STOP, NULL, 0, code, true);
}

void _gfortran_error_stop_string(const char *string, size_t length, bool quiet) {
  (void)quiet;
  femhost_stop(FEMHOST_ERROR_STOP, string, length, 0, false);
}

void _gfortran_error_stop_numeric(int code, bool quiet) {
  (void)quiet;
  femhost_stop(FEMHOST_ERROR_STOP, NULL, 0, code, true);
}
