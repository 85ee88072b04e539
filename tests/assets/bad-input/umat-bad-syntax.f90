! a UMAT source with a syntax error (line 4): gfortran refuses it (case-umat-does-not-compile.yaml)
subroutine umat(stress)
  double precision :: stress(4)
  stress(1) = = 1.0d0
end subroutine umat
