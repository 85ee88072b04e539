! Test source that does not compile (two errors).
subroutine umat(stress)
  double precision :: stress(4)
  stress(1) = = 1.0d0
  stress(2) = 2.0d0 +
end subroutine umat
