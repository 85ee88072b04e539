! Test source that compiles but has no SUBROUTINE UMAT.
subroutine notumat(x)
  double precision :: x
  x = 2 * x
end subroutine notumat
