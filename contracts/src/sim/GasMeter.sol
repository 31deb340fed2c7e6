// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

/**
 * @dev **Simulation only, never deployed.** The relay places this contract's runtime code at a scratch address with
 * an `eth_call` state override and calls {measure} from its relayer: one node call both simulates
 * `forwarder.execute(request)` and measures the gas it used. The forwarder does not look at its caller, and
 * `tx.origin` stays the relayer.
 */
contract GasMeter {
    /**
     * @dev Calls `target` with `data`, forwarding `msg.value` and all the gas the EVM lets a call take, and returns
     * the gas that call used, the `CALL` itself and the copy of `data` to memory included.
     *
     * A failing call's revert data is raised again byte for byte, so a caller decodes the target's error as if it had
     * called the target itself.
     */
    function measure(address target, bytes calldata data) external payable returns (uint256 gasUsed) {
        uint256 before = gasleft();
        // solhint-disable-next-line avoid-low-level-calls
        (bool success, bytes memory returned) = target.call{value: msg.value}(data);
        gasUsed = before - gasleft();
        if (!success) {
            // solhint-disable-next-line no-inline-assembly
            assembly ("memory-safe") {
                revert(add(returned, 0x20), mload(returned))
            }
        }
    }
}
